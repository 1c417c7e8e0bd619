"""The Streamlit app's building blocks (app.py at the repository root is the entry point):
conversation state, turns, widgets, safe Markdown, personal data, the safety bar and page
styles, export, feedback, workshop scenarios, admin page.
"""
