"""Web views of planning, one module per part: plans, actions, risks, challenges."""
