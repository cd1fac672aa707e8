-- purpose: each change names what it touches (the article, and the columns whose order or membership it changed), so the public cache evicts only those answers
ALTER TABLE changes ADD COLUMN tags TEXT;
