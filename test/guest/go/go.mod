module urun.test/guestgo

go 1.19
