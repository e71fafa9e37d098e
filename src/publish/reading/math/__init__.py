"""Math: formulas found in the text by pandoc's rules, set as MathML, equations numbered."""
