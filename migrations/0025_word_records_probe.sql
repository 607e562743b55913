-- The word records' insert trigger (0022) looked up the words a pass already holds with NOT EXISTS,
-- which the planner turns into a hash anti join: every pass read all of incident_terms (every
-- incident's words) to check the few dozen words it wrote, about 5 ms a pass at 10,000 records,
-- growing with the corpus (the planner switches to the index only past some 100,000 records). A
-- subquery in the WHERE clause is never made a join: each word is one look-up by the key.
CREATE OR REPLACE FUNCTION incident_terms_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_terms (lexeme, incident_id, kinds)
  SELECT a.lexeme, a.incident_id, a.kinds FROM (
    SELECT u.lexeme, n.incident_id, bit_or(entry_kind_bit(n.kind)) AS kinds
    FROM new_entries n CROSS JOIN unnest(n.search) u
    GROUP BY 1, 2
  ) a
  WHERE (
    SELECT t.kinds | a.kinds = t.kinds FROM incident_terms t
    WHERE t.lexeme = a.lexeme AND t.incident_id = a.incident_id
  ) IS NOT TRUE
  ON CONFLICT (lexeme, incident_id) DO UPDATE SET kinds = incident_terms.kinds | excluded.kinds;
  RETURN NULL;
END
$$;
