"""Files -> pages -> chunks.

Reads PDF, .txt and .md files named in corpus/manifest.toml; recovers printed page numbers,
cleans page furniture, finds headings, repairs Norwegian OCR damage, and cuts the pages into
chunks that keep their document, section and page range.
"""
