CREATE TABLE `incident_dispatches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	`leader_open_id` text,
	`dispatched_by` text,
	`dispatched_at` integer NOT NULL,
	`acked_at` integer,
	`departed_at` integer,
	`arrived_at` integer,
	`done_at` integer,
	`card_outbox_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incident_dispatches_unique` ON `incident_dispatches` (`incident_id`,`team_id`);--> statement-breakpoint
CREATE INDEX `incident_dispatches_open` ON `incident_dispatches` (`acked_at`,`dispatched_at`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`no` text NOT NULL,
	`type` text NOT NULL,
	`location` text NOT NULL,
	`description` text NOT NULL,
	`severity` text NOT NULL,
	`status` text NOT NULL,
	`reporter_open_id` text,
	`source_chat_id` text,
	`source_message_id` text,
	`card_outbox_ids` text DEFAULT '[]' NOT NULL,
	`reported_at` integer NOT NULL,
	`closed_at` integer,
	`closed_by` text,
	`summary` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_no_unique` ON `incidents` (`no`);--> statement-breakpoint
CREATE INDEX `incidents_status` ON `incidents` (`status`);--> statement-breakpoint
CREATE INDEX `incidents_reported_at` ON `incidents` (`reported_at`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`leader_open_id` text,
	`members` integer DEFAULT 0 NOT NULL,
	`township` text,
	`equipment` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `teams_name_unique` ON `teams` (`name`);--> statement-breakpoint
CREATE INDEX `teams_type` ON `teams` (`type`);--> statement-breakpoint
CREATE INDEX `teams_township` ON `teams` (`township`);