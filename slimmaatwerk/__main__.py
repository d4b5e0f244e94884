from slimmaatwerk.cli import main

raise SystemExit(main())
