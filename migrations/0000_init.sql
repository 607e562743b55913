CREATE TABLE "entries" (
	"incident_id" text NOT NULL,
	"id" text NOT NULL,
	"seq" bigint NOT NULL,
	"kind" text NOT NULL,
	"author_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"title" text,
	"body" text NOT NULL,
	"data" jsonb NOT NULL,
	CONSTRAINT "entries_incident_id_id_pk" PRIMARY KEY("incident_id","id")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"severity" text NOT NULL,
	"status" text NOT NULL,
	"kind" text NOT NULL,
	"commander" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "snapshots" (
	"incident_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "snapshots_incident_id_seq_pk" PRIMARY KEY("incident_id","seq")
);
--> statement-breakpoint
CREATE TABLE "updates" (
	"incident_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"bytes" "bytea" NOT NULL,
	"token_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "updates_incident_id_seq_pk" PRIMARY KEY("incident_id","seq")
);
--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "updates" ADD CONSTRAINT "updates_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entries_incident_kind" ON "entries" USING btree ("incident_id","kind");--> statement-breakpoint
CREATE INDEX "entries_incident_author" ON "entries" USING btree ("incident_id","author_id");--> statement-breakpoint
CREATE INDEX "entries_incident_at" ON "entries" USING btree ("incident_id","at");--> statement-breakpoint
CREATE INDEX "entries_search" ON "entries" USING gin (to_tsvector('simple', coalesce("title", '') || ' ' || "body"));