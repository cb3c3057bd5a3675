"""HTML written in Python, or rendered once and kept, where the template engine was the
hottest part of a page: the navigation bar and the head (every signed-in page), the
assessment form's rows, the results' articles and their cached catalogue fragments.
Each module's tests compare its output with the template it replaced."""
