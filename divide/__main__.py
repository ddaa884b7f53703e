from divide.cli import main

raise SystemExit(main())
