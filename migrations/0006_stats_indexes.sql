CREATE INDEX `enforcement_stats_enterprise` ON `enforcement_actions` (`enterprise_id`,`at`,`kind`,`people`,`amount_fen`);--> statement-breakpoint
CREATE INDEX `hazards_stats_sector` ON `hazards` (`sector`,`status`,`level`,`reported_at`,`deadline`);--> statement-breakpoint
CREATE INDEX `hazards_stats_township` ON `hazards` (`township`,`status`,`level`,`reported_at`,`deadline`,`sector`);--> statement-breakpoint
CREATE INDEX `hazards_stats_enterprise` ON `hazards` (`enterprise_id`,`status`,`level`,`reported_at`,`deadline`,`township`);--> statement-breakpoint
CREATE INDEX `hazards_inspection` ON `hazards` (`inspection_id`,`status`,`township`);--> statement-breakpoint
CREATE INDEX `inspections_stats_enterprise` ON `inspections` (`enterprise_id`,`at`,`covert`);--> statement-breakpoint
CREATE INDEX `inspections_covert` ON `inspections` (`covert`,`at`,`enterprise_id`);