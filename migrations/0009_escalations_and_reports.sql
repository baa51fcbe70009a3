CREATE TABLE `escalations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item` text NOT NULL,
	`person_open_id` text NOT NULL,
	`chain` text NOT NULL,
	`level` integer DEFAULT 0 NOT NULL,
	`card_outbox_id` text,
	`quiet_hold` integer DEFAULT false NOT NULL,
	`started_at` integer NOT NULL,
	`next_rung` text NOT NULL,
	`next_at` integer NOT NULL,
	`acked_at` integer,
	`acked_via` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `escalations_item_person` ON `escalations` (`item`,`person_open_id`);--> statement-breakpoint
CREATE INDEX `escalations_due` ON `escalations` (`next_rung`,`next_at`);--> statement-breakpoint
CREATE INDEX `escalations_card` ON `escalations` (`card_outbox_id`);--> statement-breakpoint
CREATE TABLE `incident_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`kind` text NOT NULL,
	`seq` integer DEFAULT 0 NOT NULL,
	`at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`by_open_id` text,
	`note` text,
	`deaths` integer,
	`injured` integer,
	`missing` integer,
	`relocated` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incident_reports_unique` ON `incident_reports` (`incident_id`,`kind`,`seq`);--> statement-breakpoint
CREATE INDEX `incident_reports_at` ON `incident_reports` (`at`);