"""Text as every layer reads it: cleaned, segmented into words and sentences, folded."""
