// Command wtcheck checks children's social care case records against the rule packs of
// Working Together to Safeguard Children (2010, 2018 and 2023).
package main

import "os"

func main() { os.Exit(execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
