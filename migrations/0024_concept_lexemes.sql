-- The search documents now hold the lexemes of the concepts their words name (SearchIndex.ts
-- withConcepts, memory/concepts.ts): every entry is indexed again by the search indexer, which
-- finds every incident behind once its progress is gone. TRUNCATE fires no DELETE trigger: the
-- word records, made from the documents, go with them and come back with the new documents.
TRUNCATE "entry_search", "incident_terms", "search_progress";
