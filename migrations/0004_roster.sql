CREATE TABLE `handovers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`from_shift_id` integer NOT NULL,
	`from_open_id` text NOT NULL,
	`to_shift_id` integer,
	`to_open_id` text,
	`notes` text NOT NULL,
	`summary` text NOT NULL,
	`card_outbox_id` text,
	`created_at` integer NOT NULL,
	`signed_at` integer,
	`escalated_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `handovers_from_shift` ON `handovers` (`from_shift_id`);--> statement-breakpoint
CREATE TABLE `holidays` (
	`date` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `key_periods` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`name` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shifts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`role` text NOT NULL,
	`person_open_id` text NOT NULL,
	`origin` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `shifts_role_start` ON `shifts` (`role`,`start`);--> statement-breakpoint
CREATE INDEX `shifts_person_start` ON `shifts` (`person_open_id`,`start`);--> statement-breakpoint
CREATE INDEX `shifts_end` ON `shifts` (`end`);--> statement-breakpoint
CREATE TABLE `swap_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`requester_open_id` text NOT NULL,
	`requester_shift_id` integer NOT NULL,
	`target_open_id` text NOT NULL,
	`target_shift_id` integer NOT NULL,
	`status` text NOT NULL,
	`card_outbox_id` text,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer
);
--> statement-breakpoint
CREATE INDEX `swap_requests_status` ON `swap_requests` (`status`,`expires_at`);