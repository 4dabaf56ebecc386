"""The platform administrators' console: one module per page group, each with its own blueprint."""
