// The Reporting layer; see docs/architecture.md for what belongs here.
[assembly: System.CLSCompliant(false)]
