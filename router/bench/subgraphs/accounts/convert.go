package accounts

import (
	"github.com/cinegraph/cinegraph/router/bench/subgraphs/accounts/model"
	"github.com/cinegraph/cinegraph/router/bench/subgraphs/fixtures"
)

func user(u *fixtures.User) *model.User {
	if u == nil {
		return nil
	}
	name, username, birth := u.Name, u.Username, u.BirthDate
	return &model.User{ID: u.ID, Name: &name, Username: &username, BirthDate: &birth}
}
