module example.com/urun/gotest

go 1.19
