"""信用汕尾 credit codes: the Flask backend and the credit domain."""
