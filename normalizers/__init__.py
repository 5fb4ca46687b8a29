"""Text normalisation: Unicode form, tone-mark placement, Vietnamese dates and numbers."""
