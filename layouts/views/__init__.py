"""View models shared by hand-written pages and theme blocks: one implementation per rule
(area search, period presets, ...), pure functions over plain values."""
