"""Diacritic restoration and OCR correction: a syllable language model, candidate spellings, the
damage measure that decides when to restore, the OCR confusion channel and the abbreviations left alone."""
