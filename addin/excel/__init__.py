"""The Excel add-in: ribbon actions, the .xlam build (VBA project, compound file), its sources."""
