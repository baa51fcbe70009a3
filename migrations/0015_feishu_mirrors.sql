CREATE TABLE `mirror_items` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`feishu_id` text NOT NULL,
	`state` text DEFAULT '{}' NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `key`)
);
--> statement-breakpoint
CREATE INDEX `mirror_items_feishu` ON `mirror_items` (`kind`,`feishu_id`);