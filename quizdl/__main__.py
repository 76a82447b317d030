from quizdl.cli import main

raise SystemExit(main())
