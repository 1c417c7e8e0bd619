"""The Streamlit app's building blocks (app.py at the repository root is the entry point):
widgets, safe Markdown, personal-data checks, export, feedback, workshop scenarios, admin page.
"""
