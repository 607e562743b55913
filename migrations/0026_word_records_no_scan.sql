-- The word records' insert trigger (0025) looks each word of a pass up by its key, but PL/pgSQL
-- plans its statement once per session and keeps the plan: planned while incident_terms was young
-- (analyzed at some dozens of rows), the look-up was a scan of the whole table for every word, and
-- stayed one as the table grew (401,100 rows read for a pass of 20 words beside 20,000 records),
-- until the next analyze. Scanning the table is never the trigger's way to find a word by key.
ALTER FUNCTION incident_terms_add() SET enable_seqscan = off;
