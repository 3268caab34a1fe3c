# The catalog area of the window.
