// The plain values every stage passes along (findings, diagnostics, positions) are
// part of VigilKit's interface: a program that imports VigilKit sees them.
@_exported import VigilModel
