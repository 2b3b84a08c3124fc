"""HTTP routes, one module per resource; each handler names the queries it runs."""
