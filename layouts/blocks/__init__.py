"""Theme blocks: one module per block type; each `build(block, context)` returns Dash components."""
