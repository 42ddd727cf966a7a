"""The pack's content: layout of sections, chart plan, content model."""
