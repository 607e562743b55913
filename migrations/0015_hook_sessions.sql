CREATE TABLE "hook_sessions" (
	"token_id" text NOT NULL,
	"incident_id" text NOT NULL,
	"session_id" text NOT NULL,
	"brief_seq" bigint,
	"turns" integer DEFAULT 0 NOT NULL,
	"last_turn_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hook_sessions_token_id_incident_id_session_id_pk" PRIMARY KEY("token_id","incident_id","session_id")
);
--> statement-breakpoint
ALTER TABLE "hook_sessions" ADD CONSTRAINT "hook_sessions_token_id_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hook_sessions" ADD CONSTRAINT "hook_sessions_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;