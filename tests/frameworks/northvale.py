"""A council's own framework, in its own words (objectives, outcomes, milestones), for the
tests of custom frameworks."""

OURS = """id: northvale-objectives
title: Northvale equality objectives
labels: {module: Objective, theme: Outcome, point: Milestone}
levels: [Emerging, Leading]
modules:
  - ref: "A"
    title: Fair access to services
    themes:
      - ref: "A1"
        title: Accessible front door
        points:
          - {ref: "A1.1", level: Emerging}
      - ref: "A2"
        title: Interpreting
labels_cy: {module: Amcan, theme: Canlyniad, points: Cerrig milltir}
"""
