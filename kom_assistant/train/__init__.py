"""Fine-tuning the bundled multilingual-e5-small: (query, chunk, hard negatives) examples in, a
small q4_0 delta for kom_assistant.search.model_file and its settings card out. torch_model and
loop need torch and transformers (the `st` extra); nothing outside this package imports them.
"""
