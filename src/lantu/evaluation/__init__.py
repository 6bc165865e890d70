"""The verdict: for a region, a year and a plan, every node's indicators, target in force, status
and reason, milestones, the peer index (:mod:`lantu.evaluation.peer_index`) and primacy
(:mod:`lantu.evaluation.primacy`) — the one object that pages, reports and the API render."""
