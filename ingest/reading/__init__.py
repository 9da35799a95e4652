"""Reading files into pages of text: file type, PDF text layers, OCR of scans."""
