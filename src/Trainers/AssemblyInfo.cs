// The Trainers layer; see docs/architecture.md for what belongs here.
[assembly: System.CLSCompliant(false)]
