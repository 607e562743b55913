-- Each incident's words and the kinds of entry holding them (schema.ts `incidentTerms`), kept by
-- triggers on `entries` in the statement that changes it, whichever path writes (a commit, an
-- incident's creation or import, a purge). `lexeme` sorts bytewise so a stem's words are one range;
-- the key includes `kinds` so a word's incidents are read from the index alone (once vacuumed).
CREATE TABLE "incident_terms" (
	"lexeme" text COLLATE "C" NOT NULL,
	"incident_id" text NOT NULL,
	"kinds" integer NOT NULL,
	CONSTRAINT "incident_terms_lexeme_incident_id_pk" PRIMARY KEY("lexeme","incident_id") INCLUDE ("kinds")
);
--> statement-breakpoint
ALTER TABLE "incident_terms" ADD CONSTRAINT "incident_terms_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- An entry kind's bit: bit i for ENTRY_KINDS[i] (shared/src/entry.ts, in its order; a kind added
-- there is added here too: MemoryIndex.test checks that the two agree).
CREATE FUNCTION entry_kind_bit(kind text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(1 << (array_position(ARRAY['finding', 'theory', 'rejection', 'reopen', 'decision',
    'dataset', 'transcript', 'gap', 'action', 'note'], kind) - 1), 0)
$$;
--> statement-breakpoint
-- Inserted entries add their words; a word the incident already holds in that kind of entry is
-- only looked up (no row is written or locked).
CREATE FUNCTION incident_terms_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_terms (lexeme, incident_id, kinds)
  SELECT a.lexeme, a.incident_id, a.kinds FROM (
    SELECT u.lexeme, n.incident_id, bit_or(entry_kind_bit(n.kind)) AS kinds
    FROM new_entries n CROSS JOIN unnest(n.search) u
    GROUP BY 1, 2
  ) a
  WHERE NOT EXISTS (
    SELECT 1 FROM incident_terms t
    WHERE t.lexeme = a.lexeme AND t.incident_id = a.incident_id AND t.kinds | a.kinds = t.kinds
  )
  ON CONFLICT (lexeme, incident_id) DO UPDATE SET kinds = incident_terms.kinds | excluded.kinds;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Deleted entries (a purge) take out the words no other entry of their incident holds, and the
-- kinds no other entry holds them in: the incident's remaining entries are read again.
CREATE FUNCTION incident_terms_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH gone AS (
    SELECT DISTINCT o.incident_id, u.lexeme FROM old_entries o CROSS JOIN unnest(o.search) u
  ), still AS (
    SELECT g.incident_id, g.lexeme, bit_or(entry_kind_bit(e.kind)) AS kinds
    FROM entries e CROSS JOIN unnest(e.search) u
    JOIN gone g ON g.incident_id = e.incident_id AND g.lexeme = u.lexeme
    WHERE e.incident_id IN (SELECT incident_id FROM gone)
    GROUP BY 1, 2
  ), dropped AS (
    DELETE FROM incident_terms t USING gone g
    WHERE t.lexeme = g.lexeme AND t.incident_id = g.incident_id
      AND NOT EXISTS (SELECT 1 FROM still s WHERE s.incident_id = g.incident_id AND s.lexeme = g.lexeme)
  )
  UPDATE incident_terms t SET kinds = s.kinds FROM still s
  WHERE t.lexeme = s.lexeme AND t.incident_id = s.incident_id AND t.kinds <> s.kinds;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER entries_terms_add AFTER INSERT ON entries REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION incident_terms_add();
--> statement-breakpoint
CREATE TRIGGER entries_terms_forget AFTER DELETE ON entries REFERENCING OLD TABLE AS old_entries
  FOR EACH STATEMENT EXECUTE FUNCTION incident_terms_forget();
--> statement-breakpoint
-- The entries written before this migration.
INSERT INTO incident_terms (lexeme, incident_id, kinds)
SELECT u.lexeme, e.incident_id, bit_or(entry_kind_bit(e.kind))
FROM entries e CROSS JOIN unnest(e.search) u
GROUP BY 1, 2;
