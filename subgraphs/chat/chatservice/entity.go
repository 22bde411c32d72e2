package chatservice

// IsEntity marks Room as a federation entity, so the generated GraphQL code
// can use the domain type directly instead of a converted copy.
func (Room) IsEntity() {}

// IsEntity marks Message as a federation entity (see Room.IsEntity).
func (Message) IsEntity() {}
