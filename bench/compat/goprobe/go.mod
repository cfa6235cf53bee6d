module goprobe

go 1.19
