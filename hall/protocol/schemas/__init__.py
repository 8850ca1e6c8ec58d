"""JSON Schemas (draft 2020-12) of every payload of the hall bus, one file each.

Files are named <kind>.<name>.json (request.ticket.issue.json, state.queue.json, ...) or
<kind>.json for payloads with a single shape (status.json, devices.json); common.json holds
the shared definitions. hall.protocol.schema loads and compiles them.
"""
