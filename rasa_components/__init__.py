"""Components that Rasa's NLU pipeline (config.yml) loads by module path."""
