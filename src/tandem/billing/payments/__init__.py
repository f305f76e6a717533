"""Online payments: the provider interface (with the built-in test gateway), opening a payment
for an order and handling the provider's signed notifications."""
