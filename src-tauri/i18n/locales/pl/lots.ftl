# The lots area of the window: adding a lot, files in and out, the drift panel.
