// Events, their decoder and the JSON reader and writer: the wire format every front end shares.
@_exported import WardenWire

// The language's fixed names are the engine's types too: a user of the engine sees the same
// `Verdict`, event type, penalty action and target kind the checker validated.
@_exported import enum WardenLanguage.EventType
@_exported import enum WardenLanguage.PenaltyAction
@_exported import enum WardenLanguage.StateErrorPolicy
@_exported import enum WardenLanguage.TargetKind
@_exported import enum WardenLanguage.Verdict
