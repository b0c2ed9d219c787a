"""IMS Common Cartridge 1.1 and 1.3: standard CC descriptors and QTI, plus Canvas's own export files."""
