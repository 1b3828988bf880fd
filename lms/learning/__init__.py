"""Learning: module progress, quiz attempts that never lose an answer, tier completion."""
