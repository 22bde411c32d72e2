package accounts

import (
	"github.com/cinegraph/cinegraph/bench/fixtures"
	"github.com/cinegraph/cinegraph/bench/graph/accounts/model"
)

func user(u *fixtures.User) *model.User {
	if u == nil {
		return nil
	}
	name, username, birth := u.Name, u.Username, u.BirthDate
	return &model.User{ID: u.ID, Name: &name, Username: &username, BirthDate: &birth}
}
