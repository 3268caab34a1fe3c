# The inventory area of the window.
